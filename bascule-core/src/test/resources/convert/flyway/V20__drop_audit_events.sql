DROP TABLE "AuditEvents";
