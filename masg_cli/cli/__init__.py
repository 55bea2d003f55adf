"""The command line: parse, call one service, render. Heavy imports live inside functions."""
