"""The wire protocol as other languages see it: raw gRPC, bad input, errors, Node.js workers."""
