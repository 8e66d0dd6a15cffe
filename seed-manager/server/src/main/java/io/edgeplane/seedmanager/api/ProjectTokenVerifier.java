package io.edgeplane.seedmanager.api;

import java.util.Optional;

/** Resolves a presented project token to its caller, if the token is valid, unexpired and unrevoked. */
public interface ProjectTokenVerifier {
    Optional<Caller> verify(String presentedToken);
}
