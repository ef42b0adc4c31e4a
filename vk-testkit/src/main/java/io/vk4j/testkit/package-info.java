package io.vk4j.testkit;
