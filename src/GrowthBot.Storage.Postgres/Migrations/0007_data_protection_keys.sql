-- ASP.NET Core Data Protection's key ring (the keys that encrypt Slack installation tokens and sign
-- the install flow's state), shared by every host through the database instead of a shared folder.
-- One row per XML element the key manager stores ("key-<guid>", "revocation-…"); rows are never
-- deleted here, since a retired key still decrypts what it protected.
CREATE TABLE data_protection_keys (
    friendly_name text PRIMARY KEY,
    xml           text NOT NULL,
    stored_at     timestamptz NOT NULL DEFAULT now()
);
