"""yibao: rules-as-code for Chinese basic medical insurance policy."""
