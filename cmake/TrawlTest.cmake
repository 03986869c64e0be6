# Test registration: one cmocka executable per tests/c/test_<module>.c, one
# ctest entry per LuaUnit file tests/lua/test_*.lua (run inside the trawl
# binary), one per end-to-end script tests/e2e/*.sh.
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)

file(GLOB TRAWL_C_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/c/test_*.c)
foreach(src ${TRAWL_C_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE trawlcore PkgConfig::CMOCKA)
  target_compile_definitions(${name} PRIVATE
    TRAWL_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME c/${name} COMMAND ${name})
  set_tests_properties(c/${name} PROPERTIES TIMEOUT 120)
endforeach()

file(GLOB TRAWL_LUA_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/lua/test_*.lua)
foreach(src ${TRAWL_LUA_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_test(NAME lua/${name}
    COMMAND trawl run ${src}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(lua/${name} PROPERTIES TIMEOUT 120
    ENVIRONMENT "TRAWL_TEST_TMP=${CMAKE_BINARY_DIR}/tmp")
endforeach()

file(GLOB TRAWL_E2E_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/e2e/*.sh)
foreach(src ${TRAWL_E2E_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_test(NAME e2e/${name} COMMAND bash ${src}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(e2e/${name} PROPERTIES TIMEOUT 300
    ENVIRONMENT "TRAWL=$<TARGET_FILE:trawl>;TRAWL_TEST_TMP=${CMAKE_BINARY_DIR}/tmp")
endforeach()
