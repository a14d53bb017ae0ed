package org.wikimedia.spiderpig.web;

import org.wikimedia.spiderpig.support.OnPostgresql;

/** {@link PrivateKeyMaskingTest} again, with the masked logs in PostgreSQL. */
@OnPostgresql
class PrivateKeyMaskingOnPostgresqlTest extends PrivateKeyMaskingTest {
}
