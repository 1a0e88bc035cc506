//! The typed service methods, each one line naming its operation: the HTTP method and path come
//! from the API's description ([`crate::api::OPERATIONS`]), never from the method itself.

/// Declares typed methods on a service that has `client` and `opts`:
/// `name(Operation, id) -> Answer` for an operation on one object, `name(Operation) -> Answer`
/// for one on the collection.
macro_rules! service_methods {
    ($( $(#[$doc:meta])* $name:ident($op:ident $(, $id:ident)?) : $params:ty => $ret:ty; )+) => {
        $(
            $(#[$doc])*
            pub fn $name(&self, $($id: &str,)? params: &$params) -> Result<$ret, Error> {
                let id: Option<&str> = None $(.or(Some($id)))?;
                self.client.call_typed(Operation::$op, id, params, &self.opts)
            }
        )+
    };
}

pub(crate) use service_methods;
