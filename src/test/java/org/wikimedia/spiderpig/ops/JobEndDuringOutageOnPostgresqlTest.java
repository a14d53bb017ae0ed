package org.wikimedia.spiderpig.ops;

import org.wikimedia.spiderpig.support.OnPostgresql;

@OnPostgresql
class JobEndDuringOutageOnPostgresqlTest extends JobEndDuringOutageTest {
}
