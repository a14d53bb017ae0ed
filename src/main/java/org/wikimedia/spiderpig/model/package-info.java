/**
 * The vocabulary of a job's life as it is logged and streamed: the events that the runner, the job
 * engine and the interaction service produce, that the log keeps, and that the web layer sends.
 */
package org.wikimedia.spiderpig.model;
