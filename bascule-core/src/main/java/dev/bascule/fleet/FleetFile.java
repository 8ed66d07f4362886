package dev.bascule.fleet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.bascule.api.Identifiers;
import dev.bascule.api.InputLimits;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.input.InputFiles;
import dev.bascule.input.Parsers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a fleet file ({@code fleet.yaml}, or {@code .json}) with the rules of a migration file: a
 * regular file within the size limit, bounded parsers, and every refusal an
 * {@link InvalidMigrationException} (exit 2) naming file, line, column and field, never quoting
 * more of the file than a key. Credentials are refused: they come from the command's options or
 * environment.
 *
 * <pre>
 * members:                                   # JDBC URLs, or maps with per-member overrides
 *   - jdbc:postgresql://db1/tenant_01
 *   - {url: jdbc:postgresql://db2/app, schema: tenant_02, state_schema: bascule_t2, name: t2}
 * query: "select url, schema_name from tenants"   # more members, read on --url
 * concurrency: 4                             # default 4
 * canary: 1                                  # or "10%"
 * on_failure: stop                           # or continue; or max_failures: N
 * per_server: 2                              # at most 2 members of one server at once (default: concurrency)
 * </pre>
 */
public final class FleetFile {
    static final int MAX_MEMBERS = 10_000;
    private static final Set<String> TOP = Set.of("members", "query", "concurrency", "canary", "on_failure", "max_failures",
            "per_server");
    private static final Set<String> MEMBER = Set.of("url", "schema", "state_schema", "name");

    private FleetFile() {}

    /** A value of the file with where it starts. */
    private record Node(Object value, int line, int column) {}

    public static FleetSpec read(Path file, InputLimits limits) {
        byte[] bytes = InputFiles.read(file, limits);
        boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        String name = file.toString();
        if (!json) {
            Parsers.Problem p = Parsers.longYamlLine(bytes);
            if (p != null) {
                throw new InvalidMigrationException(name, p.line(), p.column(), "", p.description());
            }
        }
        JsonFactory factory = json ? Parsers.json(limits) : Parsers.yaml(limits);
        Node root;
        try (JsonParser parser = factory.createParser(bytes)) {
            JsonToken t = parser.nextToken();
            if (t == null) {
                throw new InvalidMigrationException(name, 1, 1, "", "the fleet file is empty; it needs at least 'members' or 'query'");
            }
            root = node(parser, name, "");
        } catch (JsonProcessingException e) {
            Parsers.Problem p = Parsers.problem(e);
            throw new InvalidMigrationException(name, p.line(), p.column(), "", "not valid " + (json ? "JSON" : "YAML") + ": " + p.description());
        } catch (IOException e) {
            throw new InvalidMigrationException(name, 1, 1, "", "cannot read the fleet file");
        }
        return spec(file, name, root);
    }

    private static Node node(JsonParser p, String file, String field) throws IOException {
        JsonLocation loc = p.currentTokenLocation();
        int line = Math.max(1, loc.getLineNr());
        int col = Math.max(1, loc.getColumnNr());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation kl = p.currentTokenLocation();
                    p.nextToken();
                    String path = field.isEmpty() ? key : field + "." + key;
                    if (map.containsKey(key)) {
                        throw new InvalidMigrationException(file, kl.getLineNr(), kl.getColumnNr(), path, "given twice");
                    }
                    map.put(key, node(p, file, path));
                }
                return new Node(map, line, col);
            }
            case START_ARRAY -> {
                List<Node> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(node(p, file, field + "[" + list.size() + "]"));
                }
                return new Node(list, line, col);
            }
            case VALUE_STRING -> {
                return new Node(p.getText(), line, col);
            }
            case VALUE_NUMBER_INT -> {
                java.math.BigInteger big = p.getBigIntegerValue();
                return new Node(big.bitLength() < 32 ? (Object) big.intValue() : (Object) Long.MAX_VALUE, line, col);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Node(p.getDoubleValue(), line, col);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Node(t == JsonToken.VALUE_TRUE, line, col);
            }
            case VALUE_NULL -> {
                return new Node(null, line, col);
            }
            default -> throw new InvalidMigrationException(file, line, col, field, "unexpected content");
        }
    }

    @SuppressWarnings("unchecked")
    private static FleetSpec spec(Path file, String name, Node root) {
        if (!(root.value() instanceof Map)) {
            throw bad(name, root, "", "the fleet file must be a mapping with 'members' and/or 'query'");
        }
        Map<String, Node> top = (Map<String, Node>) root.value();
        for (Map.Entry<String, Node> e : top.entrySet()) {
            if (!TOP.contains(e.getKey())) {
                throw bad(name, e.getValue(), safeKey(e.getKey()), "unknown key; a fleet file has " + String.join(", ", sorted(TOP))
                        + " (user and password come from --user/--password or BASCULE_USER/BASCULE_PASSWORD, never from the file)");
            }
        }
        List<FleetMember> members = new ArrayList<>();
        Node ms = top.get("members");
        if (ms != null) {
            if (!(ms.value() instanceof List)) {
                throw bad(name, ms, "members", "expected a list of JDBC URLs or of {url, schema, state_schema, name}");
            }
            List<Node> list = (List<Node>) ms.value();
            if (list.size() > MAX_MEMBERS) {
                throw bad(name, ms, "members", "more than " + MAX_MEMBERS + " members");
            }
            for (int i = 0; i < list.size(); i++) {
                members.add(member(name, list.get(i), "members[" + i + "]"));
            }
        }
        String query = null;
        Node q = top.get("query");
        if (q != null) {
            if (!(q.value() instanceof String s) || s.isBlank()) {
                throw bad(name, q, "query", "expected SQL text whose rows are members: a JDBC URL, and optionally a schema");
            }
            query = s;
        }
        if (members.isEmpty() && query == null) {
            throw bad(name, ms != null ? ms : root, ms != null ? "members" : "", "no members: list them in 'members' or give a 'query'");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < members.size(); i++) {
            if (!names.add(members.get(i).name())) {
                throw bad(name, ((List<Node>) ms.value()).get(i), "members[" + i + "]",
                        "member '" + members.get(i).name() + "' is listed twice (give each a distinct 'name' if meant)");
            }
        }
        int concurrency = top.containsKey("concurrency") ? integer(name, top.get("concurrency"), "concurrency", 1, 1000)
                : FleetSpec.DEFAULT_CONCURRENCY;
        Integer canaryCount = null;
        Integer canaryPercent = null;
        Node c = top.get("canary");
        if (c != null) {
            if (c.value() instanceof String s && s.strip().matches("\\d{1,3}%")) {
                canaryPercent = Integer.parseInt(s.strip().substring(0, s.strip().length() - 1));
                if (canaryPercent > 100) {
                    throw bad(name, c, "canary", "a percentage from 0% to 100%");
                }
            } else if (c.value() instanceof Integer || c.value() instanceof String s2 && s2.strip().matches("\\d{1,9}")) {
                canaryCount = integer(name, c, "canary", 0, MAX_MEMBERS);
            } else {
                throw bad(name, c, "canary", "expected a number of members (1) or a percentage (\"10%\")");
            }
        }
        int maxFailures = 0;
        Node of = top.get("on_failure");
        Node mf = top.get("max_failures");
        if (of != null && mf != null) {
            throw bad(name, mf, "max_failures", "give either on_failure or max_failures, not both");
        }
        if (of != null) {
            if ("stop".equals(of.value())) {
                maxFailures = 0;
            } else if ("continue".equals(of.value())) {
                maxFailures = Integer.MAX_VALUE;
            } else {
                throw bad(name, of, "on_failure", "expected stop or continue (or max_failures: N instead)");
            }
        }
        if (mf != null) {
            maxFailures = integer(name, mf, "max_failures", 0, MAX_MEMBERS);
        }
        int perServer = top.containsKey("per_server") ? integer(name, top.get("per_server"), "per_server", 1, 1000) : concurrency;
        return new FleetSpec(file, List.copyOf(members), query, concurrency, canaryCount, canaryPercent, maxFailures,
                Math.min(perServer, concurrency));
    }

    @SuppressWarnings("unchecked")
    private static FleetMember member(String file, Node n, String field) {
        if (n.value() instanceof String url) {
            return FleetMember.of(url(file, n, field, url), null, null);
        }
        if (!(n.value() instanceof Map)) {
            throw bad(file, n, field, "expected a JDBC URL or a mapping {url, schema, state_schema, name}");
        }
        Map<String, Node> m = (Map<String, Node>) n.value();
        for (Map.Entry<String, Node> e : m.entrySet()) {
            if (!MEMBER.contains(e.getKey())) {
                throw bad(file, e.getValue(), field + "." + safeKey(e.getKey()), "unknown key; a member has " + String.join(", ", sorted(MEMBER))
                        + " (credentials come from the options or environment, never from the file)");
            }
        }
        Node u = m.get("url");
        if (u == null || !(u.value() instanceof String)) {
            throw bad(file, u != null ? u : n, field + ".url", "a member needs its JDBC URL");
        }
        String url = url(file, u, field + ".url", (String) u.value());
        String schema = identifier(file, m.get("schema"), field + ".schema");
        String state = identifier(file, m.get("state_schema"), field + ".state_schema");
        FleetMember member = FleetMember.of(url, schema, state);
        Node nm = m.get("name");
        if (nm != null) {
            if (!(nm.value() instanceof String s) || !s.matches("[A-Za-z0-9_./:-]{1,200}")) {
                throw bad(file, nm, field + ".name", "a name of 1 to 200 letters, digits, and _ . / : -");
            }
            member = new FleetMember(s, member.url(), member.schema(), member.stateSchema());
        }
        return member;
    }

    private static String url(String file, Node n, String field, String url) {
        String u = url.strip();
        if (!u.toLowerCase(Locale.ROOT).matches("jdbc:(postgresql|mariadb|mysql)://[^\\s]{1,2000}")) {
            throw bad(file, n, field, "not a PostgreSQL, MariaDB or MySQL JDBC URL (jdbc:postgresql://HOST[:PORT]/DATABASE)");
        }
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.matches("jdbc:[a-z]+://[^/?]*@.*") || ("&" + lower.replaceFirst("^[^?]*\\?", "")).matches(".*[&;](password|user)=.*")) {
            throw bad(file, n, field, "credentials in the fleet file are refused; give them with --user/--password or"
                    + " BASCULE_USER/BASCULE_PASSWORD");
        }
        return u;
    }

    private static String identifier(String file, Node n, String field) {
        if (n == null || n.value() == null) {
            return null;
        }
        if (!(n.value() instanceof String s) || !Identifiers.isValid(s)) {
            throw bad(file, n, field, "not a valid schema name");
        }
        return s;
    }

    private static int integer(String file, Node n, String field, int min, int max) {
        Integer i = n.value() instanceof Integer v ? v
                : n.value() instanceof String s && s.strip().matches("\\d{1,9}") ? Integer.valueOf(s.strip()) : null;
        if (i == null || i < min || i > max) {
            throw bad(file, n, field, "expected a whole number from " + min + " to " + max);
        }
        return i;
    }

    /** A key as a message may show it: the file's own text only when it looks like a key. */
    private static String safeKey(String key) {
        return key.matches("[A-Za-z0-9_-]{1,40}") ? key : "(key)";
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    private static InvalidMigrationException bad(String file, Node n, String field, String message) {
        return new InvalidMigrationException(file, n.line(), n.column(), field, message);
    }
}
