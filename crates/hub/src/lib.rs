//! The relay server: enrolment, directory, mailboxes, routing, receipts and the audit log.
//! Built by the relay issue; empty until then.
