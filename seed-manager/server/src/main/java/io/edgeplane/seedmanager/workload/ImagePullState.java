package io.edgeplane.seedmanager.workload;

/** How far one image of a staged version is on one device. Names are the API's values. */
public enum ImagePullState {
    /** The device has not started pulling it (or cannot be reached). */
    pending,
    /** Being pulled. */
    downloading,
    /** On the device. */
    present,
    /** The pull failed; the message says why. */
    failed
}
