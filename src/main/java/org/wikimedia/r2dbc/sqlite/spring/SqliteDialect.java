package org.wikimedia.r2dbc.sqlite.spring;

import org.springframework.data.r2dbc.dialect.R2dbcDialect;
import org.springframework.data.relational.core.dialect.AbstractDialect;
import org.springframework.data.relational.core.dialect.LimitClause;
import org.springframework.data.relational.core.dialect.LockClause;
import org.springframework.data.relational.core.sql.IdentifierProcessing;
import org.springframework.data.relational.core.sql.LockOptions;
import org.springframework.data.relational.core.sql.SqlIdentifier;
import org.springframework.r2dbc.core.binding.BindMarkersFactory;

/**
 * Spring Data's view of SQLite: {@code ?1}-style indexed bind markers, {@code LIMIT/OFFSET}, no row locks
 * (SQLite locks the whole database; transactions are serializable), and {@code RETURNING} for generated keys.
 */
public class SqliteDialect extends AbstractDialect implements R2dbcDialect {

    public static final SqliteDialect INSTANCE = new SqliteDialect();

    /** SQLite numbers {@code ?NNN} parameters itself, so one marker can be used more than once. */
    public static final BindMarkersFactory BIND_MARKERS = BindMarkersFactory.indexed("?", 1);

    private static final IdentifierProcessing IDENTIFIER_PROCESSING = IdentifierProcessing.create(
        IdentifierProcessing.Quoting.ANSI, IdentifierProcessing.LetterCasing.AS_IS);

    private static final LimitClause LIMIT = new LimitClause() {
        @Override
        public String getLimit(long limit) {
            return "LIMIT " + limit;
        }

        @Override
        public String getOffset(long offset) {
            return "LIMIT -1 OFFSET " + offset;
        }

        @Override
        public String getLimitOffset(long limit, long offset) {
            return "LIMIT " + limit + " OFFSET " + offset;
        }

        @Override
        public Position getClausePosition() {
            return Position.AFTER_ORDER_BY;
        }
    };

    private static final LockClause NO_LOCK = new LockClause() {
        @Override
        public String getLock(LockOptions lockOptions) {
            return "";
        }

        @Override
        public Position getClausePosition() {
            return Position.AFTER_ORDER_BY;
        }
    };

    @Override
    public String getName() {
        return "SQLite";
    }

    @Override
    public BindMarkersFactory getBindMarkersFactory() {
        return BIND_MARKERS;
    }

    @Override
    public IdentifierProcessing getIdentifierProcessing() {
        return IDENTIFIER_PROCESSING;
    }

    @Override
    public LimitClause limit() {
        return LIMIT;
    }

    @Override
    public LockClause lock() {
        return NO_LOCK;
    }

    @Override
    public String renderForGeneratedValues(SqlIdentifier identifier) {
        return identifier.toSql(IDENTIFIER_PROCESSING);
    }
}
