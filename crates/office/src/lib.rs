//! The office-side client: enrol, send, receive and sync with the care software's folders.
//! Built by the office-client issue; empty until then.
