//! The C binding's `src/accessors.rs`: one accessor per scalar field of a session and of a
//! report, from the models in the API's description, as plain `extern "C"` functions (cbindgen
//! reads plain source). A field of a nested object (one level: `last_error.code`) gets one too;
//! deeper objects, lists and `metadata` are read from the handle's JSON (`si_session_to_json`).
//!
//! Strings are borrowed from the handle (made on first use and kept); an expanded object gives
//! its `id`, as the SDKs' expandable fields do.

use std::fmt::Write;
use stripe_identity::api::models::{Field, Model, Type, VERIFICATION_REPORT, VERIFICATION_SESSION};

/// The handles with accessors: C type, function prefix, argument name and model.
const HANDLES: &[(&str, &str, &str, &Model)] = &[
    ("si_session", "si_session", "session", &VERIFICATION_SESSION),
    ("si_report", "si_report", "report", &VERIFICATION_REPORT),
];

enum Kind {
    Text,
    Int,
    Bool,
}

fn kind(ty: &Type) -> Option<Kind> {
    match ty {
        Type::Str(_) | Type::Enum(_) | Type::Const(_) | Type::Expandable(_) => Some(Kind::Text),
        Type::Int => Some(Kind::Int),
        Type::Bool => Some(Kind::Bool),
        _ => None,
    }
}

/// Every scalar field at the top level and one object down, with its path.
fn scalars(model: &'static Model) -> Vec<(Vec<&'static str>, &'static Field)> {
    let mut out = Vec::new();
    for f in model.fields {
        if kind(&f.ty).is_some() {
            out.push((vec![f.name], f));
        } else if let Type::Object(inner) = &f.ty {
            for g in inner.fields.iter().filter(|g| kind(&g.ty).is_some()) {
                out.push((vec![f.name, g.name], g));
            }
        }
    }
    out
}

/// What the field holds, for its doc comment.
fn what(path: &[&str], f: &Field) -> String {
    let mut s = format!("`{}`", path.join("."));
    match &f.ty {
        Type::Enum(values) => {
            let v: Vec<String> = values.iter().map(|v| format!("`\"{v}\"`")).collect();
            let _ = write!(s, ": one of {}, or a value a later API version adds", v.join(", "));
        }
        Type::Expandable(_) => s.push_str(": the id, also when the field was expanded"),
        Type::Const(v) => {
            let _ = write!(s, ": always `\"{v}\"`");
        }
        _ => {}
    }
    s
}

/// The text of `src/accessors.rs`.
pub fn accessors() -> String {
    let mut out = format!("// {}\n", super::GENERATED);
    out.push_str(
        "//! Accessors for the scalar fields of sessions and reports, from the models of the API's\n\
         //! description (`stripe_identity::api::models`).\n\n\
         use super::report::si_report;\n\
         use super::session::si_session;\n\
         use std::ffi::c_char;\n",
    );
    for (ty, prefix, arg, model) in HANDLES {
        let fields = scalars(model);
        let texts: Vec<&(Vec<&str>, &Field)> =
            fields.iter().filter(|(_, f)| matches!(kind(&f.ty), Some(Kind::Text))).collect();
        let _ = writeln!(
            out,
            "\n/// The string fields of `{ty}`, by accessor index (the handle keeps one C string per \
             entry).\npub(crate) const {}_TEXT: [&[&str]; {}] = [",
            arg.to_uppercase(),
            texts.len()
        );
        for (path, _) in &texts {
            let quoted: Vec<String> = path.iter().map(|p| format!("\"{p}\"")).collect();
            let _ = writeln!(out, "    &[{}],", quoted.join(", "));
        }
        out.push_str("];\n");
        let mut index = 0;
        for (path, f) in &fields {
            let name = format!("{prefix}_{}", path.join("_"));
            let quoted: Vec<String> = path.iter().map(|p| format!("\"{p}\"")).collect();
            let absent = if path.len() > 1 { format!(" or `{}` is", path[0]) } else { String::new() };
            match kind(&f.ty) {
                Some(Kind::Text) => {
                    let _ = writeln!(
                        out,
                        "\n/// {}.\n///\n/// Borrowed: valid until the {arg} is freed; do not free it. NULL when `{arg}` is \
                         NULL, or the field{absent} absent or `null`.\n#[no_mangle]\npub unsafe extern \"C\" fn \
                         {name}({arg}: *const {ty}) -> *const c_char {{\n    ffi_boundary!({{ {ty}::text_field({arg}, \
                         {index}) }})\n}}",
                        what(path, f)
                    );
                    index += 1;
                }
                Some(Kind::Int) => {
                    let _ = writeln!(
                        out,
                        "\n/// {}; 0 when `{arg}` is NULL, or the field{absent} absent or `null`.\n///\n/// \
                         `{arg}` is borrowed.\n#[no_mangle]\npub unsafe extern \"C\" fn {name}({arg}: *const {ty}) \
                         -> i64 {{\n    ffi_boundary!({{ {ty}::int_field({arg}, &[{}]) }})\n}}",
                        what(path, f),
                        quoted.join(", ")
                    );
                }
                Some(Kind::Bool) => {
                    let _ = writeln!(
                        out,
                        "\n/// {}; false when `{arg}` is NULL, or the field{absent} absent or `null`.\n///\n/// \
                         `{arg}` is borrowed.\n#[no_mangle]\npub unsafe extern \"C\" fn {name}({arg}: *const {ty}) \
                         -> bool {{\n    ffi_boundary!({{ {ty}::bool_field({arg}, &[{}]) }})\n}}",
                        what(path, f),
                        quoted.join(", ")
                    );
                }
                None => {}
            }
        }
    }
    out
}
