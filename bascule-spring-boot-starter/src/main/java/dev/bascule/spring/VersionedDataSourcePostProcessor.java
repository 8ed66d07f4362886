package dev.bascule.spring;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;

import javax.sql.DataSource;

/**
 * Points the application's {@code DataSource} at the version: HikariCP's {@code connectionInitSql}
 * (and, on MariaDB, its catalog) set before its first connection; any other pool wrapped so that
 * each borrowed connection gets the statement. Asking for the version runs Bascule first, so the
 * pool never hands out a connection before the migrations ran.
 */
public class VersionedDataSourcePostProcessor implements BeanPostProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(VersionedDataSourcePostProcessor.class);
    private static final boolean HIKARI = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
            VersionedDataSourcePostProcessor.class.getClassLoader());

    private final ObjectProvider<BasculeMigrator> migrator;

    public VersionedDataSourcePostProcessor(ObjectProvider<BasculeMigrator> migrator) {
        this.migrator = migrator;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof DataSource dataSource) || bean instanceof VersionedDataSource) {
            return bean;
        }
        BasculeMigrator m = migrator.getIfAvailable();
        if (m == null) {
            return bean;
        }
        String version = m.version();
        String sql = VersionInitSql.of(m.isMySql(), version, m.schema());
        if (HIKARI && Hikari.configure(dataSource, m.isMySql(), version, sql, beanName)) {
            return bean;
        }
        LOG.info("Bascule: the connections of {} run {} each time they are borrowed", beanName, sql);
        return new VersionedDataSource(dataSource, m.isMySql() ? version : null, sql);
    }

    /** Kept apart so that the class loads without HikariCP. */
    private static final class Hikari {
        static boolean configure(DataSource dataSource, boolean mySql, String version, String sql, String beanName) {
            if (!(dataSource instanceof com.zaxxer.hikari.HikariDataSource hikari)) {
                return false;
            }
            if (hikari.getConnectionInitSql() != null && !hikari.getConnectionInitSql().isBlank()) {
                LOG.warn("Bascule: {} has a connectionInitSql of its own ({}); left as it is, so its connections may"
                        + " not see Bascule's version {}", beanName, hikari.getConnectionInitSql(), version);
                return true;
            }
            try {
                hikari.setConnectionInitSql(sql);
                if (mySql) {
                    hikari.setCatalog(version);
                }
            } catch (IllegalStateException e) {
                return false; // already started: sealed; wrap it instead
            }
            LOG.info("Bascule: {}'s connections run {}{}", beanName, sql, mySql ? " in the database " + version : "");
            return true;
        }
    }
}
