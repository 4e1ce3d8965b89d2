"""The names of the tools a model is given: the solver's tools answer to them, and the oracle
provider writes its solutions through them."""

EDITOR_NAME = "str_replace_based_edit_tool"
BASH_NAME = "bash"
