CREATE TABLE "AuditEvents" (
    "Id"    bigint PRIMARY KEY,
    "Kind"  text NOT NULL,
    payload jsonb
);
CREATE INDEX "AuditEvents_Kind_idx" ON "AuditEvents" ("Kind");
