"""Small shared helpers of the command line and the engine: terminal output and logs."""
