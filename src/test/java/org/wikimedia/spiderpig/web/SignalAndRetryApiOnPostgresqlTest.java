package org.wikimedia.spiderpig.web;

import org.wikimedia.spiderpig.support.OnPostgresql;

/** {@link SignalAndRetryApiTest} again, with signals, retries and their audit in PostgreSQL. */
@OnPostgresql
class SignalAndRetryApiOnPostgresqlTest extends SignalAndRetryApiTest {
}
