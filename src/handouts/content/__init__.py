"""The content side: a handout's YAML read, validated and checked as an editor would."""
