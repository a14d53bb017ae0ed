package org.wikimedia.spiderpig.interaction;

import org.wikimedia.spiderpig.support.OnPostgresql;

/** {@link PromptAnswerTest} again, with prompts and the race for their answer in PostgreSQL. */
@OnPostgresql
class PromptAnswerOnPostgresqlTest extends PromptAnswerTest {
}
