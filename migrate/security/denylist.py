"""The default denylist: ops that reach outside the tensor world when a graph runs.

Converting or verifying a model *executes* its graph, so a SavedModel from elsewhere could read,
write or delete files, talk to the network, call back into Python or kill the process. Each op
below does one of those when its kernel runs; the list was built from TensorFlow 2.21's op registry
(`TF_GetAllOpList`: every op with a file/path/url/address input or attribute, every reader, writer,
Python and RPC op), starting from saved_model_cli's `scan` denylist (`ReadFile`, `WriteFile`,
`PrintV2`). `tests/security/test_denylist.py` checks every name still exists in the installed TF.

Checkpoint and vocabulary ops are also the way TF1 models load their own weights and assets, so
`scan` exempts them *only* when their path input is the SavedModel's saver filename tensor or an
asset tensor (the loader feeds those itself); see `scan.py`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Denied:
    """Why an op is refused: a category for grouping and a one-line reason."""

    category: str
    reason: str


FILE_READ = "file read"
FILE_WRITE = "file write/delete"
NETWORK = "network"
PYTHON = "python callback"
PROCESS = "process/environment"

_R = FILE_READ
_W = FILE_WRITE

_TABLE: dict[str, tuple[str, str]] = {
    # --- saved_model_cli's own list
    "ReadFile": (_R, "returns the bytes of any file named by its input"),
    "WriteFile": (_W, "writes its input to any file path (creating directories)"),
    "PrintV2": (_W, "output_stream may be 'file://PATH', appending to any file"),
    # --- reading files and directories
    "MatchingFiles": (_R, "lists files matching a glob: discloses the directory tree"),
    "ImmutableConst": (_R, "memory-maps the file named by its memory_region_name attribute"),
    "WholeFileReader": (_R, "reader that returns whole files by name"),
    "WholeFileReaderV2": (_R, "reader that returns whole files by name"),
    "TextLineReader": (_R, "reader over lines of arbitrary files"),
    "TextLineReaderV2": (_R, "reader over lines of arbitrary files"),
    "TFRecordReader": (_R, "reader over arbitrary TFRecord files"),
    "TFRecordReaderV2": (_R, "reader over arbitrary TFRecord files"),
    "FixedLengthRecordReader": (_R, "reader over fixed-size records of arbitrary files"),
    "FixedLengthRecordReaderV2": (_R, "reader over fixed-size records of arbitrary files"),
    "LMDBReader": (_R, "reader over arbitrary LMDB databases"),
    "RecordInput": (_R, "reads records from its file_pattern attribute"),
    "TextLineDataset": (_R, "dataset over lines of arbitrary files"),
    "TFRecordDataset": (_R, "dataset over arbitrary TFRecord files"),
    "TFRecordDatasetV2": (_R, "dataset over arbitrary TFRecord files"),
    "FixedLengthRecordDataset": (_R, "dataset over arbitrary files"),
    "FixedLengthRecordDatasetV2": (_R, "dataset over arbitrary files"),
    "CSVDataset": (_R, "dataset over arbitrary CSV files"),
    "CSVDatasetV2": (_R, "dataset over arbitrary CSV files"),
    "ExperimentalCSVDataset": (_R, "dataset over arbitrary CSV files"),
    "LMDBDataset": (_R, "dataset over arbitrary LMDB databases"),
    "ExperimentalLMDBDataset": (_R, "dataset over arbitrary LMDB databases"),
    "MatchingFilesDataset": (_R, "dataset of file names matching a glob"),
    "ExperimentalMatchingFilesDataset": (_R, "dataset of file names matching a glob"),
    "SqlDataset": (_R, "opens an arbitrary SQLite database and runs a query"),
    "ExperimentalSqlDataset": (_R, "opens an arbitrary SQLite database and runs a query"),
    "LoadDataset": (_R, "loads a saved dataset from an arbitrary path"),
    "SnapshotDatasetReader": (_R, "reads snapshot shards from an arbitrary directory"),
    "SnapshotNestedDatasetReader": (_R, "reads nested snapshot datasets"),
    "SnapshotChunkDataset": (_R, "reads a snapshot chunk file from an arbitrary path"),
    "ListSnapshotChunksDataset": (_R, "lists an arbitrary snapshot directory"),
    "InitializeTableFromTextFile": (
        _R,
        "fills a lookup table from any text file (exempt for asset paths)",
    ),
    "InitializeTableFromTextFileV2": (
        _R,
        "fills a lookup table from any text file (exempt for asset paths)",
    ),
    "GenerateVocabRemapping": (_R, "reads two vocabulary files from arbitrary paths"),
    "FixedUnigramCandidateSampler": (_R, "reads its vocab_file attribute"),
    "Skipgram": (_R, "reads the training corpus named by its filename attribute"),
    "DecodeProtoV2": (_R, "descriptor_source may name a descriptor file to read"),
    "EncodeProto": (_R, "descriptor_source may name a descriptor file to read"),
    "Restore": (_R, "reads an arbitrary V1 checkpoint (exempt for the model's own saver)"),
    "RestoreSlice": (_R, "reads an arbitrary V1 checkpoint (exempt for the model's own saver)"),
    "RestoreV2": (_R, "reads an arbitrary checkpoint (exempt for the model's own saver)"),
    "DTensorRestoreV2": (_R, "reads an arbitrary checkpoint"),
    "LoadAndRemapMatrix": (_R, "reads a tensor from an arbitrary checkpoint path"),
    # --- writing or deleting files
    "Save": (_W, "writes a checkpoint to any path (exempt for the model's own saver)"),
    "SaveSlices": (_W, "writes a checkpoint to any path (exempt for the model's own saver)"),
    "SaveV2": (_W, "writes a checkpoint to any path (exempt for the model's own saver)"),
    "MergeV2Checkpoints": (
        _W,
        "writes the merged checkpoint and deletes its inputs (exempt for the model's own saver)",
    ),
    "CreateSummaryFileWriter": (_W, "creates event files in any log directory"),
    "CreateSummaryDbWriter": (_W, "creates or writes an SQLite database at any URI"),
    "DumpTensor": (_W, "writes tensors under its log_dir_path attribute"),
    "DebugIdentity": (_W, "debug_urls may be file:// (writes) or grpc:// (network)"),
    "DebugIdentityV2": (_W, "writes tfdbg2 dumps under its dump_root attribute"),
    "DebugIdentityV3": (_W, "debug_urls may be file:// (writes) or grpc:// (network)"),
    "DebugNanCount": (_W, "debug_urls may be file:// (writes) or grpc:// (network)"),
    "DebugNumericSummary": (_W, "debug_urls may be file:// (writes) or grpc:// (network)"),
    "CalibrationStatisticsSaver": (_W, "writes statistics to its output_file_path attribute"),
    "DatasetToTFRecord": (_W, "writes a dataset to any TFRecord path"),
    "ExperimentalDatasetToTFRecord": (_W, "writes a dataset to any TFRecord path"),
    "SaveDataset": (_W, "writes a dataset to any directory"),
    "SaveDatasetV2": (_W, "writes a dataset to any directory"),
    "SnapshotDataset": (_W, "writes snapshot files to any directory"),
    "SnapshotDatasetV2": (_W, "writes snapshot files to any directory"),
    "CacheDataset": (_W, "writes its cache to the filename input"),
    "CacheDatasetV2": (_W, "writes its cache to the filename input"),
    # --- network
    "DistributedSave": (NETWORK, "asks a tf.data service at any address to write to any directory"),
    "DataServiceDataset": (NETWORK, "connects to a tf.data service at any address"),
    "DataServiceDatasetV2": (NETWORK, "connects to a tf.data service at any address"),
    "DataServiceDatasetV3": (NETWORK, "connects to a tf.data service at any address"),
    "DataServiceDatasetV4": (NETWORK, "connects to a tf.data service at any address"),
    "RegisterDataset": (NETWORK, "sends a dataset graph to a tf.data dispatcher at any address"),
    "RegisterDatasetV2": (NETWORK, "sends a dataset graph to a tf.data dispatcher at any address"),
    "RpcClient": (NETWORK, "opens a gRPC client to any server address"),
    "RpcServer": (NETWORK, "opens a gRPC server listening on any address"),
    "RpcServerRegister": (NETWORK, "registers a function callable over the network"),
    "RpcServerStart": (NETWORK, "starts serving functions over the network"),
    "RpcCall": (NETWORK, "calls a remote function"),
    "RpcCheckStatus": (NETWORK, "waits on a remote call"),
    "RpcGetValue": (NETWORK, "waits on a remote call"),
    "RemoteCall": (NETWORK, "runs a function on any target device or task"),
    "Send": (NETWORK, "sends tensors to another device or task (rendezvous)"),
    "Recv": (
        NETWORK,
        "receives tensors from another device or task; blocks forever without a peer",
    ),
    "_Send": (NETWORK, "sends tensors to another device or task (rendezvous)"),
    "_Recv": (
        NETWORK,
        "receives tensors from another device or task; blocks forever without a peer",
    ),
    "_HostSend": (NETWORK, "sends tensors to another device or task (rendezvous)"),
    "_HostRecv": (
        NETWORK,
        "receives tensors from another device or task; blocks forever without a peer",
    ),
    "CollectiveBcastSend": (NETWORK, "broadcasts to other workers"),
    "CollectiveBcastSendV2": (NETWORK, "broadcasts to other workers"),
    "CollectiveBcastRecv": (NETWORK, "receives from other workers; blocks without peers"),
    "CollectiveBcastRecvV2": (NETWORK, "receives from other workers; blocks without peers"),
    "CollectiveGather": (NETWORK, "exchanges tensors with other workers; blocks without peers"),
    "CollectiveGatherV2": (NETWORK, "exchanges tensors with other workers; blocks without peers"),
    "CollectiveReduce": (NETWORK, "exchanges tensors with other workers; blocks without peers"),
    "CollectiveReduceV2": (NETWORK, "exchanges tensors with other workers; blocks without peers"),
    "CollectiveReduceV3": (NETWORK, "exchanges tensors with other workers; blocks without peers"),
    "CollectiveReduceScatterV2": (
        NETWORK,
        "exchanges tensors with other workers; blocks without peers",
    ),
    "CollectiveAllToAllV2": (NETWORK, "exchanges tensors with other workers; blocks without peers"),
    "CollectiveAllToAllV3": (NETWORK, "exchanges tensors with other workers; blocks without peers"),
    "CollectivePermute": (NETWORK, "exchanges tensors between replicas"),
    "CollectiveInitializeCommunicator": (NETWORK, "joins a cross-worker communicator"),
    "CollectiveAssignGroupV2": (NETWORK, "joins a cross-worker group"),
    # --- Python callbacks
    "PyFunc": (PYTHON, "calls a Python function registered in the running process"),
    "PyFuncStateless": (PYTHON, "calls a Python function registered in the running process"),
    "EagerPyFunc": (PYTHON, "calls a Python function registered in the running process"),
    # --- process and environment
    "Abort": (PROCESS, "aborts (or exits) the whole process"),
    "FileSystemSetConfiguration": (
        PROCESS,
        "changes file-system settings (e.g. cloud credentials) for the process",
    ),
}

DEFAULT_DENYLIST: dict[str, Denied] = {
    op: Denied(category, reason) for op, (category, reason) in _TABLE.items()
}

# Ops the model's own Saver runs, and which of their inputs must be the saver's filename tensor.
CHECKPOINT_PATH_INPUTS: dict[str, tuple[int, ...]] = {
    "Save": (0,),
    "SaveSlices": (0,),
    "SaveV2": (0,),
    "Restore": (0,),
    "RestoreSlice": (0,),
    "RestoreV2": (0,),
    "MergeV2Checkpoints": (0, 1),
}
# Vocabulary initializers, and which input must be an asset tensor the loader feeds.
ASSET_PATH_INPUTS: dict[str, tuple[int, ...]] = {
    "InitializeTableFromTextFile": (1,),
    "InitializeTableFromTextFileV2": (1,),
}
# Ops a trusted path may pass through: (op, which inputs carry the path on).
PATH_PASS_THROUGH: dict[str, tuple[int, ...] | None] = {
    "Identity": (0,),
    "StringJoin": (0,),  # the trusted path must be the first component (a suffix is fine)
    "ShardedFilename": (0,),
    "Pack": None,  # every input
}
