package io.edgeplane.provisioner.ssh;

/** One thing wrong with an SSH target as submitted: the field (e.g. {@code credential.privateKey}) and why. */
public record SshTargetProblem(String field, String message) {
}
