package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.sqlite.SQLiteException;

import java.sql.SQLException;

/** Maps SQLite's result codes onto the R2DBC exception tree, keeping SQLite's message and extended code. */
final class SqliteExceptions {

    private static final int SQLITE_ERROR = 1;
    private static final int SQLITE_PERM = 3;
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_INTERRUPT = 9;
    private static final int SQLITE_CONSTRAINT = 19;
    private static final int SQLITE_MISMATCH = 20;
    private static final int SQLITE_AUTH = 23;

    private SqliteExceptions() {
    }

    static R2dbcException map(Throwable t, String sql) {
        if (t instanceof R2dbcException) {
            return (R2dbcException) t;
        }
        if (!(t instanceof SQLException)) {
            return new R2dbcNonTransientResourceException(String.valueOf(t.getMessage()), null, 0, sql, t);
        }
        SQLException e = (SQLException) t;
        if (!(e instanceof SQLiteException) && e.getCause() instanceof SQLiteException) {
            e = (SQLException) e.getCause();
        }
        int code = e instanceof SQLiteException ? ((SQLiteException) e).getResultCode().code : e.getErrorCode();
        String message = e.getMessage();
        switch (code & 0xFF) {
            case SQLITE_BUSY:
            case SQLITE_LOCKED:
                return new R2dbcTransientResourceException(message, "40001", code, sql, e);
            case SQLITE_INTERRUPT:
                return new R2dbcTransientResourceException(message, "57014", code, sql, e);
            case SQLITE_CONSTRAINT:
            case SQLITE_MISMATCH:
                return new R2dbcDataIntegrityViolationException(message, "23000", code, sql, e);
            case SQLITE_PERM:
            case SQLITE_READONLY:
            case SQLITE_AUTH:
                return new R2dbcPermissionDeniedException(message, "42501", code, sql, e);
            case SQLITE_ERROR:
                if (isGrammar(message)) {
                    return new R2dbcBadGrammarException(message, "42000", code, sql, e);
                }
                return new R2dbcNonTransientResourceException(message, "HY000", code, sql, e);
            default:
                return new R2dbcNonTransientResourceException(message, "HY000", code, sql, e);
        }
    }

    private static boolean isGrammar(String message) {
        if (message == null) {
            return false;
        }
        return message.contains("syntax error") || message.contains("no such ") || message.contains("unrecognized token")
            || message.contains("incomplete input") || message.contains("already exists")
            || message.contains("ambiguous column") || message.contains("has no column")
            || message.contains("wrong number of arguments") || message.contains("values for")
            || message.contains("misuse of");
    }
}
