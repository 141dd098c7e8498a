// swift-tools-version: 6.1
// Lectern: a hands-on course on sequence models, and the reference library it teaches.
//
// Module graph (one-way):
//   CBLAS (Linux; Accelerate on macOS) -> LecternCore (tensor core: tensors, autodiff, ops, safetensors)
//   LecternCore -> LecternNN (layers, attention, Transformer blocks, losses, optimizers, schedules, data, training)
//   LecternNN, LecternTokenizers, LecternHub -> LecternModels (RNN encoder–decoders with and without attention,
//     the Transformer, BERT and its heads, sentence embeddings; Hugging Face model directories and weights)
//   LecternTokenizers (BPE, byte-level BPE, WordPiece; no tensors)
//   LecternHub (the Hugging Face hub cache on disk and downloads into it; no tensors)
//   CCmark -> LecternRunner (lesson parser, cell runner, grader; never imports the library)
//   LecternCLI (`lectern`, the composition root) -> LecternRunner, LecternCore
import Foundation
import PackageDescription

// The tensor core's SIMD loops (exp, softmax, layer norm, GELU, optimizers) are written with
// 8-lane vectors; built for baseline x86-64 they run as SSE pairs without FMA. When
// LECTERN_TARGET_CPU names a CPU (Scripts/lib/setup.sh sets `haswell` after checking that
// /proc/cpuinfo lists AVX2 and FMA), the library is compiled for it: measured on the 2-core
// development machine, softmax and an attention layer's forward pass ran 1.5–1.9× faster. A build
// for that CPU must run on a CPU that has those instructions. (unsafeFlags are allowed in a root
// package only: when Lectern is a dependency, leave the variable unset.)
let kernelSettings: [SwiftSetting] = ProcessInfo.processInfo.environment["LECTERN_TARGET_CPU"]
    .flatMap { $0.isEmpty ? nil : [.unsafeFlags(["-target-cpu", $0]), .define("LECTERN_TARGET_CPU")] } ?? []

let package = Package(
    name: "Lectern",
    platforms: [.macOS(.v13)],
    products: [
        // Lessons and students' exercises compile against this prebuilt dynamic library.
        .library(name: "Lectern", type: .dynamic, targets: ["LecternCore", "LecternNN", "LecternModels", "LecternTokenizers", "LecternHub"]),
        .executable(name: "lectern", targets: ["LecternCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"]), .brew(["cmark"])]
        ),
        // SGEMM and friends: OpenBLAS on Linux; Accelerate (imported directly) on macOS.
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(
            name: "LecternCore",
            dependencies: [.target(name: "CBLAS", condition: .when(platforms: [.linux]))],
            swiftSettings: kernelSettings
        ),
        .target(name: "LecternNN", dependencies: ["LecternCore"], swiftSettings: kernelSettings),
        .target(name: "LecternModels", dependencies: ["LecternNN", "LecternTokenizers", "LecternHub"]),
        .target(name: "LecternTokenizers"),
        .target(name: "LecternHub"),
        .target(name: "LecternRunner", dependencies: ["CCmark"]),
        .executableTarget(
            name: "LecternCLI",
            dependencies: [
                "LecternRunner",
                "LecternCore",
                "LecternNN",
                "LecternModels",
                "LecternTokenizers",
                "LecternHub",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "LecternCoreTests", dependencies: ["LecternCore"], resources: [.copy("Fixtures")]),
        // Fixture loading, tolerant comparison and a module gradient checker for the NN and model suites.
        .target(name: "LecternTestSupport", dependencies: ["LecternNN"], path: "Tests/LecternTestSupport"),
        .testTarget(name: "LecternNNTests", dependencies: ["LecternNN", "LecternTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LecternModelsTests", dependencies: ["LecternModels", "LecternTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LecternTokenizersTests", dependencies: ["LecternTokenizers"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LecternRunnerTests", dependencies: ["LecternRunner"]),
        .testTarget(name: "LecternHubTests", dependencies: ["LecternHub"]),
        // Runs the built `lectern` executable end to end (no module dependency: it is a process).
        .testTarget(name: "LecternCLITests"),
    ],
    swiftLanguageModes: [.v6]
)
