//! Belvo sandbox emulator (in progress).
