// Used by mariadb-batch-profile.sh: java -cp bascule-bench.jar StartWithoutBackfill.java DATABASE
import dev.bascule.Bascule;
import dev.bascule.model.MigrationReader;
import org.mariadb.jdbc.MariaDbDataSource;
/** Bascule's start without the backfill: the shadow column and the sync triggers, to time batches by hand. */
public class StartWithoutBackfill {
    public static void main(String[] a) throws Exception {
        MariaDbDataSource ds = new MariaDbDataSource();
        ds.setUrl("jdbc:mariadb://127.0.0.1:3306/?user=root");
        var m = MigrationReader.read("0001_orders_amount_bigint.yaml", "operations:\n  - alter_column:\n      table: orders\n      column: amount\n      type: bigint\n".getBytes());
        Bascule.configure().dataSource(ds).schema(a[0]).stateSchema(a[0] + "_state").load().start(m, true);
    }
}
