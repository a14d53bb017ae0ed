package org.wikimedia.spiderpig.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.IntFunction;
import org.springframework.http.MediaType;

/**
 * Gives a body in the problem format to the error responses that the HTTP layer sends by itself, with no
 * body: Reactor Netty's 414 (request line too long), 431 (headers too large) and 400 (not HTTP), and Spring's
 * 400 for an address that is not a URI. Those requests never reach a route or {@link ProblemHandler}.
 *
 * <p>Sits in each connection's pipeline right after the HTTP codec and looks at responses on their way
 * out, so that pipelined responses keep their order. It remembers each request's method, in order, because
 * an answer to HEAD must stay without a body.
 */
final class BareErrorResponses extends ChannelDuplexHandler {

    static final String NAME = "spiderpig.bareErrorResponses";

    private final IntFunction<byte[]> problemBodies;
    private final Queue<HttpMethod> methods = new ArrayDeque<>();

    /** {@code problemBodies} writes the problem for a status. */
    BareErrorResponses(IntFunction<byte[]> problemBodies) {
        this.problemBodies = problemBodies;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest request) {
            methods.add(request.method());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        Object out = msg;
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            HttpMethod method = methods.poll();
            if (msg instanceof FullHttpResponse full && isBareError(full) && !HttpMethod.HEAD.equals(method)) {
                out = withProblem(full);
            }
        }
        ctx.write(out, promise);
    }

    private static boolean isBareError(FullHttpResponse response) {
        return response.status().code() >= 400
                && response.content().readableBytes() == 0
                && !response.headers().contains(HttpHeaderNames.CONTENT_TYPE);
    }

    private FullHttpResponse withProblem(FullHttpResponse bare) {
        byte[] body = problemBodies.apply(bare.status().code());
        FullHttpResponse answer = bare.replace(Unpooled.wrappedBuffer(body));
        bare.release();
        answer.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return answer;
    }
}
