-- The register of offices the relay's area has, loaded by the operator: the denominator of
-- adoption by prefecture and municipality. Enrolled offices need not be in it.
CREATE TABLE registry (
    number TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    prefecture INTEGER NOT NULL,
    municipality TEXT NOT NULL,
    municipality_name TEXT NOT NULL
);
CREATE INDEX registry_area ON registry (prefecture, municipality);
-- Who exchanged with whom, for the busiest pairs and an office's activity.
CREATE INDEX parcels_accepted ON parcels (accepted);
