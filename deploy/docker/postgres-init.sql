-- Apicurio Registry keeps its schemas in a database of its own on the same server.
CREATE DATABASE flyt_registry OWNER flyt;
