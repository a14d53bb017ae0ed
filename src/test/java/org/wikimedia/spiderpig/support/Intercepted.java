package org.wikimedia.spiderpig.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.UnaryOperator;
import org.springframework.beans.factory.config.BeanPostProcessor;

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

    /** A post-processor for a test's server that hands each of its beans of {@code type} to {@code wrap}. */
    public static <T> BeanPostProcessor beansOf(Class<T> type, UnaryOperator<T> wrap) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return type.isInstance(bean) ? wrap.apply(type.cast(bean)) : bean;
            }
        };
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
