//! PKI and envelopes: the operator CA, office certificates, signed and encrypted parcels,
//! receipts and audit-log proofs. Built by the relay issue; empty until then.
