package org.wikimedia.spiderpig.security;

import org.wikimedia.spiderpig.support.OnPostgresql;

/** {@link SecondFactorApiTest} again, with second factors, their throttle and audit in PostgreSQL. */
@OnPostgresql
class SecondFactorApiOnPostgresqlTest extends SecondFactorApiTest {
}
