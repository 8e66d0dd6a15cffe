package io.edgeplane.seedmanager.watch;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * How watches behave (defaults in application.yml, each settable as EDGEPLANE_WATCH_...).
 *
 * @param heartbeat   how often an idle stream sends a comment or bookmark, so proxies keep it open
 * @param retention   how long changes stay in the feed: a watch can resume from an id this recent
 * @param sweep       how often each replica numbers and delivers changes whose notification it missed
 * @param maxDuration how long a stream stays open at most (a client's timeoutSeconds may shorten it): it then ends
 *                    cleanly and the client resumes, on whichever replica its reconnect reaches
 * @param maxStreams  open streams one replica serves; more answer 503
 * @param pollThreads threads that read the feed for the streams of one replica
 */
@ConfigurationProperties("edgeplane.watch")
public record WatchSettings(Duration heartbeat, Duration retention, Duration sweep, Duration maxDuration, int maxStreams, int pollThreads) {
}
