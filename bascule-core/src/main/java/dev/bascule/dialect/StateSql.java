package dev.bascule.dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/**
 * The SQL of the state tables that differs between databases, behind the one {@code StateStore}
 * API: their DDL, JSON and list columns, "insert unless there", and timestamps.
 */
public interface StateSql {

    /** Quotes the state schema (or database) name. */
    String quote(String identifier);

    /** Creates the state schema and its tables if missing; serialised against a concurrent init. */
    void create(Connection c, String schema, int version) throws SQLException;

    /** Brings layout 1 up to date (PostgreSQL only: MariaDB state began at layout 2). */
    void upgradeFrom1(Connection c, String schema) throws SQLException;

    boolean tableExists(Connection c, String schema, String table) throws SQLException;

    /** {@code INSERT INTO table (columns) VALUES (values)} that does nothing when the key is already there. */
    String insertUnlessThere(String table, String columns, String values, String key);

    /** A parameter bound to JSON text, in an INSERT. */
    String jsonParameter();

    /** A JSON column read as text. */
    String jsonText(String column);

    /** The assignment that records {@code contractMode} (the parameter) in the stored plan. */
    String setContractMode();

    /** Inserts one migration row and returns its id. */
    long insertReturningId(Connection c, String sql, Object... params) throws SQLException;

    /** Adds {@code gates} to a migration's forced gates, keeping each once. */
    void addForcedGates(Connection c, String migrations, long id, Set<String> gates) throws SQLException;

    /** Binds a list of texts (a key) or null. */
    void setList(Connection c, PreparedStatement ps, int index, List<String> values) throws SQLException;

    List<String> getList(ResultSet rs, int index) throws SQLException;

    OffsetDateTime timestamp(ResultSet rs, int index) throws SQLException;

    /** The current time, as precise as the server keeps it. */
    String now();
}
