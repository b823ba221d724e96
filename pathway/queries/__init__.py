"""The only place that builds queries for pages. Each returns what a page needs in a fixed number of queries."""
