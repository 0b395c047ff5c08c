"""The product from outside: the README's commands, the container image, the deploy files."""
