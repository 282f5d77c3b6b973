// Does what Metabase's sync does over JDBC (DatabaseMetaData.getTables, getColumns,
// getPrimaryKeys on schema smup, then sample queries on every view), as the read-only role a BI
// tool would use, and asserts that smup is BI-ready. Prints TAP.
//   java -cp /usr/share/java/postgresql.jar test/jdbc/MetabaseSync.java jdbc:postgresql://host:port/db user password
import java.sql.*;
import java.util.*;

public class MetabaseSync {
    static int n = 0, failed = 0;

    static void ok(boolean cond, String what) {
        n++;
        if (!cond) failed++;
        System.out.println((cond ? "ok " : "not ok ") + n + " - " + what);
    }

    public static void main(String[] args) throws Exception {
        String url = args[0], user = args[1], password = args[2];
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.setReadOnly(true);
            DatabaseMetaData md = c.getMetaData();

            // 1. getTables: what Metabase lists. Views and materialized views are what BI reads.
            Map<String, String> relations = new TreeMap<>();
            try (ResultSet rs = md.getTables(null, "smup", "%", new String[] {"TABLE", "VIEW", "MATERIALIZED VIEW"})) {
                while (rs.next()) {
                    String name = rs.getString("TABLE_NAME"), type = rs.getString("TABLE_TYPE");
                    relations.put(name, type);
                    String remarks = rs.getString("REMARKS");
                    ok(remarks != null && !remarks.isBlank(), type + " smup." + name + " has a description");
                }
            }
            List<String> views = new ArrayList<>();
            relations.forEach((name, type) -> { if (!type.equals("TABLE")) views.add(name); });
            ok(views.containsAll(List.of("indicator_value", "benchmark", "jst_map", "indicator_catalogue")),
               "the BI views are listed: " + views);

            // 2. getColumns: every column described, no type a BI tool cannot read.
            Set<String> unreadable = new TreeSet<>();
            Set<String> undescribed = new TreeSet<>();
            try (ResultSet rs = md.getColumns(null, "smup", "%", "%")) {
                while (rs.next()) {
                    String rel = rs.getString("TABLE_NAME"), col = rs.getString("COLUMN_NAME");
                    if (!relations.containsKey(rel)) continue;
                    String remarks = rs.getString("REMARKS");
                    if (remarks == null || remarks.isBlank()) undescribed.add(rel + "." + col);
                    int type = rs.getInt("DATA_TYPE");
                    String typeName = rs.getString("TYPE_NAME");
                    boolean view = !relations.get(rel).equals("TABLE");
                    if (view && (type == Types.OTHER || type == Types.STRUCT || type == Types.JAVA_OBJECT
                                 || typeName.contains("distribution") || typeName.contains("geometry")
                                 || (type == Types.ARRAY && !typeName.matches("_(text|int4|int8|float8|varchar|numeric)"))))
                        unreadable.add(rel + "." + col + " (" + typeName + ")");
                }
            }
            ok(undescribed.isEmpty(), "every column has a description" + (undescribed.isEmpty() ? "" : ", missing: " + undescribed));
            ok(unreadable.isEmpty(), "no view exposes a type a BI tool cannot read" + (unreadable.isEmpty() ? "" : ": " + unreadable));

            // 3. getPrimaryKeys: tables have theirs.
            for (String rel : relations.keySet()) {
                if (!relations.get(rel).equals("TABLE")) continue;
                try (ResultSet rs = md.getPrimaryKeys(null, "smup", rel)) {
                    ok(rs.next(), "table smup." + rel + " has a primary key");
                }
            }

            // 4. Sample queries on every view, reading every column as Metabase does.
            for (String v : views) {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT * FROM smup." + v + " LIMIT 20")) {
                    int rows = 0, cols = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= cols; i++) rs.getObject(i);
                        rows++;
                    }
                    ok(rows > 0, "smup." + v + " returns rows to the read-only role");
                } catch (SQLException e) {
                    ok(false, "smup." + v + " readable: " + e.getMessage());
                }
            }

            // 5. The map-ready view: GeoJSON and a representative point in WGS 84.
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT geojson, latitude, longitude FROM smup.jst_map WHERE id = '280203'")) {
                ok(rs.next(), "Frombork is on the map");
                String geojson = rs.getString(1);
                double lat = rs.getDouble(2), lon = rs.getDouble(3);
                ok(geojson.startsWith("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[19.") && !geojson.contains("crs"),
                   "geometry as GeoJSON in WGS 84 lon/lat (RFC 7946)");
                ok(lat > 54.3 && lat < 54.45 && lon > 19.5 && lon < 19.9, "representative point of Frombork at " + lat + ", " + lon);
            }

            // 6. Read-only, and nothing but the views.
            for (String sql : List.of("SELECT count(*) FROM smup.observation", "SELECT count(*) FROM smup.load_reject",
                                      "DELETE FROM smup.custom_group", "SELECT * FROM smup.refresh()")) {
                try (Statement s = c.createStatement()) {
                    c.setReadOnly(false);
                    s.execute(sql);
                    ok(false, "smup_reader must not run: " + sql);
                } catch (SQLException e) {
                    ok("42501".equals(e.getSQLState()), "smup_reader is refused (" + e.getSQLState() + "): " + sql);
                }
            }
        }
        System.out.println("1.." + n);
        System.exit(failed == 0 ? 0 : 1);
    }
}
