package io.edgeplane.seedmanager.project;

/** What a project token may do; the constants are the JSON and database spellings. */
public enum TokenRole {
    /** Reads and changes everything in its project. */
    owner,
    /** Reads everything in its project, changes nothing. */
    viewer
}
