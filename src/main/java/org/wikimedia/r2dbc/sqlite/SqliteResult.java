package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/** The outcome of one SQLite statement with one set of bindings: rows, an update count, or both (RETURNING). */
final class SqliteResult implements Result {

    private final Flux<Segment> segments;
    /** Set for a plain update count, which is answered without building a reactive pipeline. */
    private final Long count;
    private static final AtomicIntegerFieldUpdater<SqliteResult> CONSUMED =
        AtomicIntegerFieldUpdater.newUpdater(SqliteResult.class, "consumed");
    /** The counts of a single-row change, shared: batches produce one result per binding. */
    private static final Mono<Long> ONE = Mono.just(1L);
    private static final Mono<Long> ZERO = Mono.just(0L);

    private volatile int consumed;

    SqliteResult(Flux<Segment> segments) {
        this.segments = segments;
        this.count = null;
    }

    private SqliteResult(long count) {
        this.segments = null;
        this.count = count;
    }

    static SqliteResult updateCount(long count) {
        return new SqliteResult(count);
    }

    private Flux<Segment> consume() {
        if (!CONSUMED.compareAndSet(this, 0, 1)) {
            return Flux.error(new IllegalStateException("Result has already been consumed"));
        }
        return segments != null ? segments : Flux.just(new Count(count));
    }

    @Override
    public Mono<Long> getRowsUpdated() {
        if (count != null) {
            if (!CONSUMED.compareAndSet(this, 0, 1)) {
                return Mono.error(new IllegalStateException("Result has already been consumed"));
            }
            return count == 1 ? ONE : count == 0 ? ZERO : Mono.just(count);
        }
        return consume()
            .<Long>handle((segment, sink) -> {
                if (segment instanceof UpdateCount) {
                    sink.next(((UpdateCount) segment).value());
                } else if (segment instanceof Message) {
                    sink.error(((Message) segment).exception());
                }
            })
            .reduce(Long::sum);
    }

    @Override
    public <T> Flux<T> map(BiFunction<Row, RowMetadata, ? extends T> mappingFunction) {
        if (mappingFunction == null) {
            throw new IllegalArgumentException("mappingFunction must not be null");
        }
        return rows().map(row -> mappingFunction.apply(row, row.getMetadata()));
    }

    @Override
    public <T> Flux<T> map(Function<? super Readable, ? extends T> mappingFunction) {
        if (mappingFunction == null) {
            throw new IllegalArgumentException("mappingFunction must not be null");
        }
        return rows().map(mappingFunction::apply);
    }

    private Flux<Row> rows() {
        return consume().handle((segment, sink) -> {
            if (segment instanceof RowSegment) {
                sink.next(((RowSegment) segment).row());
            } else if (segment instanceof Message) {
                sink.error(((Message) segment).exception());
            }
        });
    }

    @Override
    public Result filter(Predicate<Segment> filter) {
        if (filter == null) {
            throw new IllegalArgumentException("filter must not be null");
        }
        return new SqliteResult(Flux.defer(this::consume).filter(filter));
    }

    @Override
    public <T> Flux<T> flatMap(Function<Segment, ? extends Publisher<? extends T>> mappingFunction) {
        if (mappingFunction == null) {
            throw new IllegalArgumentException("mappingFunction must not be null");
        }
        return consume().concatMap(mappingFunction);
    }

    static final class Count implements UpdateCount {
        private final long value;

        Count(long value) {
            this.value = value;
        }

        @Override
        public long value() {
            return value;
        }
    }
}
