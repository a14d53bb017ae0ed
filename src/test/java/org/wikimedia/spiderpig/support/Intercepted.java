package org.wikimedia.spiderpig.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/** An interface's implementation with some of its calls answered by a test instead (an injected fault). */
public final class Intercepted {

    /** What a test answers to a call. */
    @FunctionalInterface
    public interface Fault {
        /** What the call answers instead, or null to let it through. */
        Object intercept(Method method, Object[] args) throws Throwable;
    }

    private Intercepted() {
    }

    /** {@code target}, with each call first offered to {@code fault}. */
    public static <T> T proxy(Class<T> type, T target, Fault fault) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object replaced = fault.intercept(method, args);
            if (replaced != null) {
                return replaced;
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
