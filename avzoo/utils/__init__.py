"""Shared helpers of the command line and the engine: errors, durable writes, checkpoint reading, terminal output, logs and paths."""
