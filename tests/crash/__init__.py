"""Operations killed with SIGKILL at random points: the registry stays whole."""
