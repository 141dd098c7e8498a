// LecternHub: the Hugging Face hub cache on disk, and downloads into it — Foundation only, no
// tensors. It follows huggingface_hub (the Python package: constants.py, file_download.py,
// _snapshot_download.py) closely enough that the two share one cache: a model downloaded with
// Python is found here by name, and a model pulled here loads in Python without a download.
//
// The cache, as huggingface_hub lays it out (HubCache.swift):
//
//     ~/.cache/huggingface/hub/                  HubCache.root ($HF_HUB_CACHE, $HF_HOME/hub, …)
//       models--ORG--NAME/                       HubCache.repoFolder("ORG/NAME")
//         blobs/<etag>                           each file's bytes once, named by its hash
//         blobs/<etag>.incomplete                a download in progress (resumed from its size)
//         refs/main                              a text file: the commit hash "main" pointed at
//         snapshots/<commit>/config.json         → ../../blobs/<etag> (a relative symlink)
//         snapshots/<commit>/1_Pooling/config.json → ../../../blobs/<etag>
//
// Finding a model (ModelLocator.swift): a folder path is used as is; a name is looked up in the
// cache through refs/<revision>. Downloading (HubDownloader.swift): ask the hub which commit a
// revision is and which files it has, then for each file ask for its hash (a HEAD request),
// download into blobs/, check the hash, and link it into the snapshot.
//
// Files, one concept each: HubCache, ModelLocator, RepoID (names and folder names), HubError,
// HubDownloader (the whole pull), HubRepositoryInfo (the API's commit and file list),
// HubFileSelection and Glob (which files), FileMetadata (the HEAD request's answer),
// BlobDownload (one file, resumable), HTTPClient (a blocking URLSession exchange), HubStatus
// (HTTP errors → HubError), SHA256 (FIPS 180-4), HubDownloadProgress. Departures from the
// reference are listed at the top of each file.
