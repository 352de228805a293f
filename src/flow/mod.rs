//! The link/MFA flow as a sans-IO state machine.
