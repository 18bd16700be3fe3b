"""The Neo4j backend: the store that answers the query protocol from a Neo4j server (store), the
loader that puts a built generation into it (load), and the manager of a local server run from
Maven Central jars (server, its pom.xml). Driver errors are translated here, never above."""
