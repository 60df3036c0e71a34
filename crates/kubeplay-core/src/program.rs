//! What a simulated container does with its command.
