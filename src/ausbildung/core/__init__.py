"""The foundation every focus area stands on: organisations, people, roles, occupations, contracts, audit."""
