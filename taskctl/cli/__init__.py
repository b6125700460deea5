"""Command modules: parse options, call the domain core, render the result."""
