// The wire objects, parameters and options of stripe-identity, with the API's snake_case
// fields, shaped as stripe-node 23 declares them (resources/Identity/*.d.ts). Hand-written and
// checked in; native.d.ts (generated from the Rust sources) refers to these names.

/** An open enum: the known values, and any string a newer API version may send. */
export type OtherString = string & {};

/** Set of key-value pairs attached to an object; keys up to 40 characters, values up to 500. */
export interface Metadata {
  [name: string]: string;
}

/** Metadata to set: an empty string (or `null`) value unsets that key. */
export interface MetadataParam {
  [name: string]: string | number | null;
}

/** `null` and `''` both unset, as in stripe-node. */
export type Emptyable<T> = null | '' | T;

/** A range of unix timestamps. */
export interface RangeQueryParam {
  /** Greater than this value. */
  gt?: number;
  /** Greater than or equal to this value. */
  gte?: number;
  /** Less than this value. */
  lt?: number;
  /** Less than or equal to this value. */
  lte?: number;
}

/** One page of a list. */
export interface ApiList<T> {
  object: 'list';
  /** The objects of this page, newest first. */
  data: Array<T>;
  /** Whether more objects follow this page. */
  has_more: boolean;
  /** The URL of the list (`/v1/identity/verification_sessions`). */
  url: string;
}

/** A postal address. */
export interface Address {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
}

/** A date of birth. */
export interface Dob {
  /** Day between 1 and 31. */
  day: number | null;
  /** Month between 1 and 12. */
  month: number | null;
  /** The four-digit year. */
  year: number | null;
}

/**
 * A VerificationSession guides a user through verifying their identity
 * (`identity.verification_session`).
 */
export interface VerificationSession {
  /** Unique identifier (`vs_...`). */
  id: string;
  object: 'identity.verification_session';
  /** A string to reference this user (a customer id, a session id, ...). */
  client_reference_id: string | null;
  /** The short-lived client secret for Stripe.js; `null` once the session left `requires_input`. */
  client_secret: string | null;
  /** Creation time, in seconds since the unix epoch. */
  created: number;
  /** The last error met while processing the verification, if any. */
  last_error: VerificationSession.LastError | null;
  /** The most recent VerificationReport: its id, or the report with `expand: ['last_verification_report']`. */
  last_verification_report: string | VerificationReport | null;
  /** `false` for test keys. */
  livemode: boolean;
  /** Key-value pairs attached to the session. */
  metadata: Metadata;
  /** Options of the session's verification checks. */
  options: VerificationSession.Options | null;
  /** Details provided about the user being verified. */
  provided_details?: VerificationSession.ProvidedDetails | null;
  /** The redaction state; `null` unless the session was redacted. */
  redaction: VerificationSession.Redaction | null;
  /** Customer id. */
  related_customer: string | null;
  /** The id of the Account representing a customer. */
  related_customer_account: string | null;
  /** The Person resource and its account this verification is for. */
  related_person?: VerificationSession.RelatedPerson;
  /** `requires_input`, `processing`, `verified` or `canceled`. */
  status: VerificationSession.Status;
  /** The type of verification check. */
  type: VerificationSession.Type;
  /** The short-lived URL of the hosted flow; `null` once the session left `requires_input`. */
  url: string | null;
  /** The configuration token of a Dashboard verification flow. */
  verification_flow?: string;
  /** The user's verified data (with `expand: ['verified_outputs']`). */
  verified_outputs?: VerificationSession.VerifiedOutputs | null;
}

export declare namespace VerificationSession {
  interface LastError {
    /** Why the verification failed. */
    code: LastError.Code | null;
    /** A message explaining the failure. */
    reason: string | null;
  }
  namespace LastError {
    type Code =
      | 'abandoned'
      | 'consent_declined'
      | 'country_not_supported'
      | 'device_not_supported'
      | 'document_expired'
      | 'document_type_not_supported'
      | 'document_unverified_other'
      | 'email_unverified_other'
      | 'email_verification_declined'
      | 'id_number_insufficient_document_data'
      | 'id_number_mismatch'
      | 'id_number_unverified_other'
      | 'phone_unverified_other'
      | 'phone_verification_declined'
      | 'selfie_document_missing_photo'
      | 'selfie_face_mismatch'
      | 'selfie_manipulated'
      | 'selfie_unverified_other'
      | 'under_supported_age'
      | OtherString;
  }
  interface Options {
    document?: Options.Document;
    email?: Options.Email;
    id_number?: Options.IdNumber;
    matching?: Options.Matching;
    phone?: Options.Phone;
  }
  namespace Options {
    interface Document {
      /** The identity document types allowed. */
      allowed_types?: Array<Document.AllowedType>;
      /** Collect an ID number and check it against the document. */
      require_id_number?: boolean;
      /** Documents must be captured with the device's camera. */
      require_live_capture?: boolean;
      /** Capture a selfie and compare it with the document's photo. */
      require_matching_selfie?: boolean;
    }
    namespace Document {
      type AllowedType = 'driving_license' | 'id_card' | 'passport' | OtherString;
    }
    interface Email {
      require_verification?: boolean;
    }
    interface IdNumber {}
    interface Matching {
      dob?: Matching.Dob;
      name?: Matching.Name;
    }
    namespace Matching {
      type Dob = 'none' | 'similar' | OtherString;
      type Name = 'none' | 'similar' | OtherString;
    }
    interface Phone {
      require_verification?: boolean;
    }
  }
  interface ProvidedDetails {
    email?: string;
    phone?: string;
  }
  interface Redaction {
    /** Whether the session and its related objects are redacted yet. */
    status: Redaction.Status;
  }
  namespace Redaction {
    type Status = 'processing' | 'redacted' | 'validated' | OtherString;
  }
  interface RelatedPerson {
    account: string;
    person: string;
  }
  type Status = 'canceled' | 'processing' | 'requires_input' | 'verified' | OtherString;
  type Type = 'document' | 'id_number' | 'verification_flow' | OtherString;
  interface VerifiedOutputs {
    address: Address | null;
    /** With `expand: ['verified_outputs.dob']`. */
    dob?: Dob | null;
    email: string | null;
    first_name: string | null;
    /** With `expand: ['verified_outputs.id_number']`. */
    id_number?: string | null;
    id_number_type: VerifiedOutputs.IdNumberType | null;
    last_name: string | null;
    phone: string | null;
    sex?: VerifiedOutputs.Sex | null;
    unparsed_place_of_birth?: string | null;
    unparsed_sex?: string | null;
  }
  namespace VerifiedOutputs {
    type IdNumberType = 'br_cpf' | 'sg_nric' | 'us_ssn' | OtherString;
    type Sex = '[redacted]' | 'female' | 'male' | 'unknown' | OtherString;
  }
}

/** The result of a verification (`identity.verification_report`), made when a session is verified. */
export interface VerificationReport {
  /** Unique identifier (`vr_...`). */
  id: string;
  object: 'identity.verification_report';
  client_reference_id: string | null;
  created: number;
  document?: VerificationReport.Document;
  email?: VerificationReport.Email;
  id_number?: VerificationReport.IdNumber;
  livemode: boolean;
  options?: VerificationReport.Options;
  phone?: VerificationReport.Phone;
  selfie?: VerificationReport.Selfie;
  type: 'document' | 'id_number' | 'verification_flow' | OtherString;
  verification_flow?: string;
  /** The id of the VerificationSession that made this report. */
  verification_session: string | null;
}

export declare namespace VerificationReport {
  /** The error of a check whose status is `unverified`. */
  interface CheckError {
    code: string | null;
    reason: string | null;
  }
  type CheckStatus = 'unverified' | 'verified' | OtherString;
  interface Document {
    address: Address | null;
    dob?: Dob | null;
    error: CheckError | null;
    expiration_date?: Dob | null;
    /** File ids of the document images. */
    files: Array<string> | null;
    first_name: string | null;
    issued_date: Dob | null;
    issuing_country: string | null;
    last_name: string | null;
    number?: string | null;
    sex?: string | null;
    status: CheckStatus;
    type: 'driving_license' | 'id_card' | 'passport' | OtherString | null;
    unparsed_place_of_birth?: string | null;
    unparsed_sex?: string | null;
  }
  interface Email {
    email: string | null;
    error: CheckError | null;
    status: CheckStatus;
  }
  interface IdNumber {
    dob?: Dob | null;
    error: CheckError | null;
    first_name: string | null;
    id_number?: string | null;
    id_number_type: 'br_cpf' | 'sg_nric' | 'us_ssn' | OtherString | null;
    last_name: string | null;
    status: CheckStatus;
  }
  interface Options {
    document?: VerificationSession.Options.Document;
    id_number?: VerificationSession.Options.IdNumber;
  }
  interface Phone {
    error: CheckError | null;
    phone: string | null;
    status: CheckStatus;
  }
  interface Selfie {
    document: string | null;
    error: CheckError | null;
    selfie: string | null;
    status: CheckStatus;
  }
}

/** Options of the document check, as parameters. */
export interface VerificationSessionDocumentOptionsParam {
  allowed_types?: Array<'driving_license' | 'id_card' | 'passport' | OtherString>;
  require_id_number?: boolean;
  require_live_capture?: boolean;
  require_matching_selfie?: boolean;
}

/** Parameters of `verificationSessions.create`. */
export interface VerificationSessionCreateParams {
  /** A string to reference this user (a customer id, a session id, ...). */
  client_reference_id?: string;
  /** Fields of the answer to expand (`verified_outputs`, `last_verification_report`). */
  expand?: Array<string>;
  metadata?: Emptyable<MetadataParam>;
  options?: {
    document?: Emptyable<VerificationSessionDocumentOptionsParam>;
  };
  provided_details?: {
    email?: string;
    phone?: string;
  };
  related_customer?: string;
  related_customer_account?: string;
  related_person?: {
    account: string;
    person: string;
  };
  /** Where the user is sent after the hosted flow. */
  return_url?: string;
  /** Required unless `verification_flow` is given. */
  type?: 'document' | 'id_number' | OtherString;
  /** The id of a Dashboard verification flow. */
  verification_flow?: string;
}

/** Parameters of `verificationSessions.retrieve`. */
export interface VerificationSessionRetrieveParams {
  expand?: Array<string>;
}

/** Parameters of `verificationSessions.update` (only while the session is `requires_input`). */
export interface VerificationSessionUpdateParams {
  expand?: Array<string>;
  metadata?: Emptyable<MetadataParam>;
  options?: {
    document?: Emptyable<VerificationSessionDocumentOptionsParam>;
  };
  provided_details?: {
    email?: string;
    phone?: string;
  };
  type?: 'document' | 'id_number' | OtherString;
}

/** Parameters of `verificationSessions.list` and `listAutoPaging`. */
export interface VerificationSessionListParams {
  client_reference_id?: string;
  /** Only sessions created in this interval (or at this exact time). */
  created?: RangeQueryParam | number;
  /** A cursor: the page before this session id. */
  ending_before?: string;
  /** With `data.` in front (`data.verified_outputs`). */
  expand?: Array<string>;
  /** Between 1 and 100; 10 by default. */
  limit?: number;
  related_customer?: string;
  related_customer_account?: string;
  /** A cursor: the page after this session id. */
  starting_after?: string;
  status?: 'canceled' | 'processing' | 'requires_input' | 'verified' | OtherString;
}

/** Parameters of `verificationSessions.cancel`. */
export interface VerificationSessionCancelParams {
  expand?: Array<string>;
}

/** Parameters of `verificationSessions.redact`. */
export interface VerificationSessionRedactParams {
  expand?: Array<string>;
}

/** Parameters of `verificationReports.retrieve`. */
export interface VerificationReportRetrieveParams {
  /** The report's sub-objects or sensitive keys (`document.dob`). */
  expand?: Array<string>;
}

/** Parameters of `verificationReports.list`: filters, page size and cursors. */
export interface VerificationReportListParams {
  client_reference_id?: string;
  /** Only reports created in this interval (or at this exact time). */
  created?: RangeQueryParam | number;
  /** A cursor: the page before this report id. */
  ending_before?: string;
  /** With `data.` in front (`data.document.dob`). */
  expand?: Array<string>;
  /** Between 1 and 100; 10 by default. */
  limit?: number;
  /** A cursor: the page after this report id. */
  starting_after?: string;
  type?: 'document' | 'id_number' | OtherString;
  /** Only the reports of this session. */
  verification_session?: string;
}

/** Parameters of the `fail` control. */
export interface VerificationSessionFailParams {
  /** One of the API's `last_error.code` values (`document_expired`, ...). */
  code: VerificationSession.LastError.Code;
  /** A message explaining the failure. */
  reason?: string | null;
}

/** Options of one request, beside its parameters. */
export interface RequestOptions {
  /** The same key with the same parameters replays the first answer (POST only). */
  idempotencyKey?: string;
  /** Act on a connected account (`acct_...`). */
  stripeAccount?: string;
  /** The API version of this request. */
  stripeVersion?: string;
}

/** Settings of a client of the Stripe API (`new Client(apiKey, options)`). */
export interface ClientOptions {
  /** Base URL of the API; `https://api.stripe.com` by default, e.g. `http://127.0.0.1:12111` for identity-mock. */
  baseUrl?: string;
  /** Retries of a request that failed on the network or got 409 or 5xx; 2 by default. */
  maxNetworkRetries?: number;
  /** Timeout of one attempt, in milliseconds; 80000 by default. */
  timeout?: number;
  /** `Stripe-Version` of every request. */
  stripeVersion?: string;
  /** `Stripe-Account` of every request. */
  stripeAccount?: string;
}

/** Settings of a local client (`Client.local(options)`). */
export interface LocalOptions {
  /** Start the simulator's clock stopped at this unix time (seconds); it then moves only with `testHelpers.advanceClock`. */
  clock?: number;
}

/** The answer of `client._rawRequest` (the shared scenario suite's raw steps). */
export interface RawResponse {
  statusCode: number;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
  /** The parsed JSON body. */
  body: any;
}
