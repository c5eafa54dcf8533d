"""kg: news articles about security cooperation -> a knowledge graph of bilateral agreements."""

__version__ = "0.1.0"
