package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/** The outcome of one SQLite statement with one set of bindings: rows, an update count, or both (RETURNING). */
final class SqliteResult implements Result {

    private final Flux<Segment> segments;
    private final AtomicBoolean consumed = new AtomicBoolean();

    SqliteResult(Flux<Segment> segments) {
        this.segments = segments;
    }

    static SqliteResult updateCount(long count) {
        return new SqliteResult(Flux.just(new Count(count)));
    }

    private Flux<Segment> consume() {
        if (!consumed.compareAndSet(false, true)) {
            return Flux.error(new IllegalStateException("Result has already been consumed"));
        }
        return segments;
    }

    @Override
    public Mono<Long> getRowsUpdated() {
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
