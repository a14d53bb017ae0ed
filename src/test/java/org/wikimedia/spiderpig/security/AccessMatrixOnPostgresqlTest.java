package org.wikimedia.spiderpig.security;

import org.wikimedia.spiderpig.support.OnPostgresql;

/** {@link AccessMatrixTest} again, with sessions and tokens in PostgreSQL. */
@OnPostgresql
class AccessMatrixOnPostgresqlTest extends AccessMatrixTest {
}
