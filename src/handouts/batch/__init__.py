"""The batch side: a class roster read, one handout per client stamped, and the class pack."""
